import MammoData

/// A tiny 3×5 pixel font (digits, capital letters, a few signs) for labels drawn into
/// images: tick labels of a colour bar, panel titles of a figure. Lower-case letters are
/// drawn as capitals; a character the font lacks is drawn as "?".
public enum BitmapFont {
    public static let glyphWidth = 3
    public static let glyphHeight = 5
    /// Horizontal advance per character in font pixels (glyph plus one blank column).
    public static let advance = 4

    /// Each glyph as five rows of three cells, "#" = ink.
    static let rows: [Character: [String]] = [
        "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
        "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", "###", "..#", "###"],
        "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
        "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", "..#", "..#", "..#"],
        "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
        "A": [".#.", "#.#", "###", "#.#", "#.#"], "B": ["##.", "#.#", "##.", "#.#", "##."],
        "C": [".##", "#..", "#..", "#..", ".##"], "D": ["##.", "#.#", "#.#", "#.#", "##."],
        "E": ["###", "#..", "##.", "#..", "###"], "F": ["###", "#..", "##.", "#..", "#.."],
        "G": [".##", "#..", "#.#", "#.#", ".##"], "H": ["#.#", "#.#", "###", "#.#", "#.#"],
        "I": ["###", ".#.", ".#.", ".#.", "###"], "J": ["..#", "..#", "..#", "#.#", ".#."],
        "K": ["#.#", "#.#", "##.", "#.#", "#.#"], "L": ["#..", "#..", "#..", "#..", "###"],
        "M": ["#.#", "###", "###", "#.#", "#.#"], "N": ["##.", "#.#", "#.#", "#.#", "#.#"],
        "O": [".#.", "#.#", "#.#", "#.#", ".#."], "P": ["##.", "#.#", "##.", "#..", "#.."],
        "Q": [".#.", "#.#", "#.#", "##.", ".##"], "R": ["##.", "#.#", "##.", "#.#", "#.#"],
        "S": [".##", "#..", ".#.", "..#", "##."], "T": ["###", ".#.", ".#.", ".#.", ".#."],
        "U": ["#.#", "#.#", "#.#", "#.#", "###"], "V": ["#.#", "#.#", "#.#", "#.#", ".#."],
        "W": ["#.#", "#.#", "###", "###", "#.#"], "X": ["#.#", "#.#", ".#.", "#.#", "#.#"],
        "Y": ["#.#", "#.#", ".#.", ".#.", ".#."], "Z": ["###", "..#", ".#.", "#..", "###"],
        ".": ["...", "...", "...", "...", ".#."], ",": ["...", "...", "...", ".#.", "#.."],
        ":": ["...", ".#.", "...", ".#.", "..."], "-": ["...", "...", "###", "...", "..."],
        "+": ["...", ".#.", "###", ".#.", "..."], "=": ["...", "###", "...", "###", "..."],
        "_": ["...", "...", "...", "...", "###"], "/": ["..#", "..#", ".#.", "#..", "#.."],
        "(": [".#.", "#..", "#..", "#..", ".#."], ")": [".#.", "..#", "..#", "..#", ".#."],
        "%": ["#.#", "..#", ".#.", "#..", "#.#"], "#": ["#.#", "###", "#.#", "###", "#.#"],
        "?": ["###", "..#", ".#.", "...", ".#."], " ": ["...", "...", "...", "...", "..."],
    ]

    /// The ink cells of `character`, row-major 3 × 5.
    public static func glyph(_ character: Character) -> [Bool] {
        let key = Character(character.uppercased())
        return (rows[key] ?? rows["?"]!).flatMap { $0.map { $0 == "#" } }
    }

    /// Width in image pixels of `text` drawn at `scale` (no trailing blank column).
    public static func width(of text: String, scale: Int) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }

    /// Height in image pixels of one line at `scale`.
    public static func height(scale: Int) -> Int { glyphHeight * scale }

    /// Draws `text` with its top-left corner at (x, y), each font pixel a `scale × scale`
    /// square of `color`. Ink outside the image is clipped.
    public static func draw(_ text: String, into image: inout RGBImage, x: Int, y: Int,
                            scale: Int, color: (UInt8, UInt8, UInt8)) {
        for (n, character) in text.enumerated() {
            let cells = glyph(character)
            for row in 0..<glyphHeight {
                for column in 0..<glyphWidth where cells[row * glyphWidth + column] {
                    image.fill(x: x + (n * advance + column) * scale, y: y + row * scale,
                               width: scale, height: scale, color: color)
                }
            }
        }
    }
}
