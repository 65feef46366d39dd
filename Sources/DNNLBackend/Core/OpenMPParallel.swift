import CDNNL

/// Splits `0..<count` into one contiguous range per thread and runs `body` on each, on the
/// OpenMP team oneDNN's primitives use (libgomp's `GOMP_parallel`, what `#pragma omp
/// parallel` compiles to). Host loops run on other threads (Dispatch) competed for the cores
/// with that team's workers, which spin-wait for a while after every primitive.
///
/// `body` runs concurrently on disjoint ranges; it must only write memory its range owns.
func openMPParallel(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    let threads = min(threads, count)
    guard threads > 1 else {
        if count > 0 { body(0..<count) }
        return
    }
    withoutActuallyEscaping(body) { body in
        var work = OpenMPWork(count: count, body: body)
        withUnsafeMutablePointer(to: &work) { pointer in
            GOMP_parallel({ raw in
                let work = raw!.assumingMemoryBound(to: OpenMPWork.self).pointee
                let thread = Int(omp_get_thread_num()), team = Int(omp_get_num_threads())
                let start = work.count * thread / team, end = work.count * (thread + 1) / team
                if start < end { work.body(start..<end) }
            }, pointer, UInt32(threads), 0)
        }
    }
}

private struct OpenMPWork {
    let count: Int
    let body: (Range<Int>) -> Void
}
