// libjpeg reports a fatal error by calling error_exit, which must not return: we longjmp back
// to the entry point, copy libjpeg's message out and return a status that Swift can check.
#include "CJPEGTurbo.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t messageCapacity;
} ErrorManager;

static void copy_message(j_common_ptr cinfo) {
    ErrorManager *errors = (ErrorManager *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    errors->base.format_message(cinfo, buffer);
    if (errors->message != NULL && errors->messageCapacity > 0) {
        snprintf(errors->message, errors->messageCapacity, "%s", buffer);
    }
}

static void exit_with_message(j_common_ptr cinfo) {
    copy_message(cinfo);
    longjmp(((ErrorManager *)cinfo->err)->jump, 1);
}

// Level -1 is a warning about corrupt data (truncated scan, bad Huffman code): libjpeg would
// carry on and return made-up pixels, which a medical image must not silently contain.
static void emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) exit_with_message(cinfo);
}

static void install(struct jpeg_decompress_struct *cinfo, ErrorManager *errors, char *message, size_t capacity) {
    cinfo->err = jpeg_std_error(&errors->base);
    errors->base.error_exit = exit_with_message;
    errors->base.emit_message = emit_message;
    errors->message = message;
    errors->messageCapacity = capacity;
    if (message != NULL && capacity > 0) message[0] = 0;
}

static void fill_header(const struct jpeg_decompress_struct *cinfo, MammosegJPEGHeader *header) {
    header->width = (int32_t)cinfo->image_width;
    header->height = (int32_t)cinfo->image_height;
    header->components = (int32_t)cinfo->out_color_components;
    header->precision = (int32_t)cinfo->data_precision;
    header->isProgressive = cinfo->progressive_mode ? 1 : 0;
}

int mammoseg_jpeg_read_header(const uint8_t *data, size_t size, MammosegJPEGHeader *header,
                              char *message, size_t messageCapacity) {
    struct jpeg_decompress_struct cinfo;
    ErrorManager errors;
    install(&cinfo, &errors, message, messageCapacity);
    jpeg_create_decompress(&cinfo);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return MAMMOSEG_JPEG_FAILED;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    // out_color_components is known only after the output parameters are computed.
    jpeg_calc_output_dimensions(&cinfo);
    fill_header(&cinfo, header);
    jpeg_destroy_decompress(&cinfo);
    return MAMMOSEG_JPEG_OK;
}

int mammoseg_jpeg_decode(const uint8_t *data, size_t size, uint8_t *pixels, size_t capacity,
                         char *message, size_t messageCapacity) {
    struct jpeg_decompress_struct cinfo;
    ErrorManager errors;
    install(&cinfo, &errors, message, messageCapacity);
    jpeg_create_decompress(&cinfo);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return MAMMOSEG_JPEG_FAILED;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    jpeg_start_decompress(&cinfo);
    size_t rowBytes = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    if (rowBytes * (size_t)cinfo.output_height != capacity) {
        if (message != NULL && messageCapacity > 0) {
            snprintf(message, messageCapacity, "output is %u x %u x %d samples, the buffer holds %zu",
                     cinfo.output_width, cinfo.output_height, cinfo.output_components, capacity);
        }
        jpeg_destroy_decompress(&cinfo);
        return MAMMOSEG_JPEG_BAD_BUFFER;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * rowBytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return MAMMOSEG_JPEG_OK;
}
