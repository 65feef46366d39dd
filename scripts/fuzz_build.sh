#!/usr/bin/env bash
# Builds the libFuzzer harnesses into .build-fuzz/ (or $FUZZ_BUILD): each module named in
# fuzz/modules.txt is compiled from its sources with coverage + AddressSanitizer, then each
# fuzz/harnesses/NAME.swift is linked against them as .build-fuzz/fuzz-NAME.
#   scripts/fuzz_build.sh            all harnesses
#   scripts/fuzz_build.sh png dicom  only these
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/.build-fuzz}
mkdir -p "$out"

flags=(-O -sanitize=fuzzer,address -parse-as-library -enable-testing -I "$out")
# Every system-library module map (CPNG, CZlib, COpenJPEG, CCharLS, ...).
for map in "$root"/Sources/C*/module.modulemap; do flags+=(-I "$(dirname "$map")"); done

# C targets (a folder under Sources/ with .c files and an include/ folder, e.g. CJPEGTurbo):
# compiled with clang under the same sanitizers, and given the module map SwiftPM would generate.
# The newest of the given files. (Not `ls -t … | head -1`: under pipefail, head closing the pipe
# while ls still writes a long list kills the script with SIGPIPE, at random.)
newest_of() {
    local newest=$1 file
    for file in "$@"; do [[ "$file" -nt "$newest" ]] && newest=$file; done
    printf '%s\n' "$newest"
}

objects=()
for folder in "$root"/Sources/C*/; do
    mapfile -t csources < <(find "$folder" -maxdepth 1 -name '*.c' | sort)
    [[ ${#csources[@]} -gt 0 ]] || continue
    name=$(basename "$folder")
    mkdir -p "$out/$name"
    headers=("$folder"include/*.h); header=${headers[0]}
    printf 'module %s {\n    header "%s"\n    export *\n}\n' "$name" "$header" > "$out/$name/module.modulemap"
    flags+=(-I "$out/$name")
    for c in "${csources[@]}"; do
        object="$out/$name-$(basename "$c" .c).o"
        if [[ ! -f "$object" || "$c" -nt "$object" ]]; then
            echo "fuzz_build: C target $name" >&2
            clang -O1 -g -fsanitize=fuzzer-no-link,address -I "${folder}include" -c "$c" -o "$object"
        fi
        objects+=("$object")
    done
done

while read -r name folder _; do
    [[ -z "${name:-}" || "$name" == \#* ]] && continue
    mapfile -t sources < <(find "$root/$folder" -name '*.swift' | sort)
    object="$out/$name.o"
    # Rebuild a module when any of its sources (or a module before it) is newer than its object.
    newest=$(newest_of "${sources[@]}" "${objects[@]}" "$root/fuzz/modules.txt")
    if [[ ! -f "$object" || "$newest" -nt "$object" ]]; then
        echo "fuzz_build: module $name (${#sources[@]} files)" >&2
        swiftc "${flags[@]}" -module-name "$name" -wmo -emit-module -emit-module-path "$out/$name.swiftmodule" \
            -c "${sources[@]}" -o "$object"
    fi
    objects+=("$object")
done < "$root/fuzz/modules.txt"

if [[ $# -gt 0 ]]; then names=("$@"); else
    names=(); for file in "$root"/fuzz/harnesses/*.swift; do
        base=$(basename "$file" .swift); [[ "$base" == FuzzLimits ]] || names+=("$base"); done
fi
for name in "${names[@]}"; do
    harness="$root/fuzz/harnesses/$name.swift"
    [[ -f "$harness" ]] || { echo "fuzz_build: no harness $harness" >&2; exit 2; }
    binary="$out/fuzz-$name"
    if [[ ! -f "$binary" || "$harness" -nt "$binary" || $(newest_of "${objects[@]}") -nt "$binary" ]]; then
        echo "fuzz_build: harness $name" >&2
        swiftc "${flags[@]}" -module-name "fuzz_$name" "$harness" "$root/fuzz/harnesses/FuzzLimits.swift" \
            "${objects[@]}" -lpng16 -lz -lopenjp2 -lcharls -ljpeg -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
done
