import COpenJPEG

/// An OpenJPEG input stream reading straight from bytes already in memory (no copy, no file).
/// The bytes must outlive the stream; `destroy()` frees it.
struct OpenJPEGMemoryStream {
    let stream: UnsafeMutablePointer<opj_stream_t?>
    private let cursor: UnsafeMutablePointer<Cursor>

    private struct Cursor {
        let base: UnsafeRawPointer
        let count: Int
        var offset: Int
    }

    init(bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw CodecError("JPEG 2000: the codestream is empty") }
        guard let stream = opj_stream_create(1 << 20, OPJ_TRUE) else {
            throw CodecError("JPEG 2000: opj_stream_create failed (out of memory)")
        }
        cursor = .allocate(capacity: 1)
        cursor.initialize(to: Cursor(base: base, count: bytes.count, offset: 0))
        self.stream = stream
        opj_stream_set_user_data(stream, cursor, nil)
        opj_stream_set_user_data_length(stream, OPJ_UINT64(bytes.count))
        opj_stream_set_read_function(stream) { destination, requested, context in
            let cursor = context!.assumingMemoryBound(to: Cursor.self)
            let remaining = cursor.pointee.count - cursor.pointee.offset
            // (OPJ_SIZE_T)-1 says "end of stream"; size_t comes into Swift as Int, so that is -1.
            guard remaining > 0, let destination else { return -1 }
            let count = min(Int(requested), remaining)
            destination.copyMemory(from: cursor.pointee.base + cursor.pointee.offset, byteCount: count)
            cursor.pointee.offset += count
            return OPJ_SIZE_T(count)
        }
        opj_stream_set_skip_function(stream) { distance, context in
            let cursor = context!.assumingMemoryBound(to: Cursor.self)
            let target = min(max(Int(distance) + cursor.pointee.offset, 0), cursor.pointee.count)
            let skipped = target - cursor.pointee.offset
            if distance != 0 && skipped == 0 { return -1 }
            cursor.pointee.offset = target
            return OPJ_OFF_T(skipped)
        }
        opj_stream_set_seek_function(stream) { position, context in
            let cursor = context!.assumingMemoryBound(to: Cursor.self)
            guard position >= 0, position <= cursor.pointee.count else { return OPJ_FALSE }
            cursor.pointee.offset = Int(position)
            return OPJ_TRUE
        }
    }

    func destroy() {
        opj_stream_destroy(stream)
        cursor.deinitialize(count: 1)
        cursor.deallocate()
    }
}
