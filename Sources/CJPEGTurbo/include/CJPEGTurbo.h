#ifndef MAMMOSEG_CJPEGTURBO_H
#define MAMMOSEG_CJPEGTURBO_H
// libjpeg(-turbo) behind two calls that return a status instead of longjmp-ing through Swift.
#include <stddef.h>
#include <stdint.h>

enum {
    MAMMOSEG_JPEG_OK = 0,
    /// libjpeg refused the data (its own message is in `message`).
    MAMMOSEG_JPEG_FAILED = 1,
    /// The caller's buffer does not hold width × height × components bytes.
    MAMMOSEG_JPEG_BAD_BUFFER = 2,
};

/// Capacity a caller gives for libjpeg's message (JMSG_LENGTH_MAX is 200).
#define MAMMOSEG_JPEG_MESSAGE_CAPACITY 256

typedef struct {
    int32_t width;
    int32_t height;
    /// Components of the output: 1 (grayscale) or 3 (RGB after libjpeg's colour conversion).
    int32_t components;
    /// Bits per sample the frame declares (libjpeg here decodes only 8).
    int32_t precision;
    int32_t isProgressive;
} MammosegJPEGHeader;

/// Reads the frame header (SOF) of a JPEG codestream without decoding it.
int mammoseg_jpeg_read_header(const uint8_t *data, size_t size, MammosegJPEGHeader *header,
                              char *message, size_t messageCapacity);

/// Decodes a JPEG codestream into `pixels` (row-major, components interleaved, 8 bits per sample).
/// `capacity` must equal width × height × components of the header. Any libjpeg warning (corrupt
/// or truncated data, which libjpeg would otherwise fill with grey) is a failure.
int mammoseg_jpeg_decode(const uint8_t *data, size_t size, uint8_t *pixels, size_t capacity,
                         char *message, size_t messageCapacity);

#endif
