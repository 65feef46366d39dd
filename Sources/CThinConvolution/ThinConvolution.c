#include "CThinConvolution.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

// Lanes whose column w0 + lane + shift lies in [0, width): masked loads never touch the others.
AVX2 static inline __m256i column_mask(long w0, long shift, long width) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i column = _mm256_add_epi32(lanes, _mm256_set1_epi32((int)(w0 + shift)));
    __m256i aboveZero = _mm256_cmpgt_epi32(column, _mm256_set1_epi32(-1));
    __m256i belowWidth = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width), column);
    return _mm256_and_si256(aboveZero, belowWidth);
}

// BLOCKS x 8 output pixels from w0, every output channel: BLOCKS independent accumulators per
// channel, so few channels still keep both FMA pipes busy (one chain per channel would wait on
// the FMA latency). `masked` (one block, at a row's ends): some tap or output lane falls outside
// the row, so loads and the store are masked. Always inlined with constant arguments, so each
// use compiles to its own code with the accumulators in registers.
AVX2 __attribute__((always_inline)) static inline void pixels(const float *x, long inChannels, long outChannels,
                                                             long blocks, int masked, long height, long width,
                                                             const float *weight, const float *bias, int relu,
                                                             long n, long h, long w0, float *y) {
    __m256 acc[4][MAMMOSEG_THIN_MAX_OUT];
    for (long p = 0; p < blocks; p++)
        for (long o = 0; o < outChannels; o++) acc[p][o] = _mm256_set1_ps(bias[o]);
    __m256i masks[3];
    if (masked) for (long kx = 0; kx < 3; kx++) masks[kx] = column_mask(w0, kx - 1, width);
    for (long i = 0; i < inChannels; i++) {
        const float *plane = x + (n * inChannels + i) * height * width;
        for (long ky = 0; ky < 3; ky++) {
            long row = h + ky - 1;
            if (row < 0 || row >= height) continue;
            const float *source = plane + row * width + w0 - 1;
            for (long kx = 0; kx < 3; kx++) {
                const float *tap = weight + (i * 3 + ky) * 3 + kx;
                __m256 v[4];
                if (masked) v[0] = _mm256_maskload_ps(source + kx, masks[kx]);
                else for (long p = 0; p < blocks; p++) v[p] = _mm256_loadu_ps(source + kx + 8 * p);
                for (long o = 0; o < outChannels; o++) {
                    __m256 t = _mm256_broadcast_ss(tap + o * inChannels * 9);
                    for (long p = 0; p < blocks; p++) acc[p][o] = _mm256_fmadd_ps(t, v[p], acc[p][o]);
                }
            }
        }
    }
    __m256i store = masked ? column_mask(w0, 0, width) : _mm256_set1_epi32(-1);
    for (long p = 0; p < blocks; p++)
        for (long o = 0; o < outChannels; o++) {
            __m256 value = relu ? _mm256_max_ps(acc[p][o], _mm256_setzero_ps()) : acc[p][o];
            float *target = y + ((n * outChannels + o) * height + h) * width + w0 + 8 * p;
            if (masked) _mm256_maskstore_ps(target, store, value);
            else _mm256_storeu_ps(target, value);
        }
}

AVX2 __attribute__((always_inline)) static inline void rows(const float *x, long inChannels, long outChannels,
                                                            long height, long width, const float *weight,
                                                            const float *bias, int relu, long rowBegin, long rowEnd,
                                                            float *y) {
    // Accumulators: blocks x channels <= 8 (plus the loaded pixels) of the 16 ymm registers.
    const long blocks = outChannels <= 2 ? 4 : outChannels <= 4 ? 2 : 1;
    for (long u = rowBegin; u < rowEnd; u++) {
        long n = u / height, h = u % height;
        long w0 = 0;
        pixels(x, inChannels, outChannels, 1, 1, height, width, weight, bias, relu, n, h, w0, y);
        // Inner blocks read columns w0 - 1 ... w0 + 8 * blocks, all inside the row.
        for (w0 = 8; w0 + 8 * blocks + 1 <= width; w0 += 8 * blocks)
            pixels(x, inChannels, outChannels, blocks, 0, height, width, weight, bias, relu, n, h, w0, y);
        for (; w0 + 9 <= width; w0 += 8)
            pixels(x, inChannels, outChannels, 1, 0, height, width, weight, bias, relu, n, h, w0, y);
        for (; w0 < width; w0 += 8)
            pixels(x, inChannels, outChannels, 1, 1, height, width, weight, bias, relu, n, h, w0, y);
    }
}

AVX2 void mammoseg_thin_conv3x3_avx2(const float *x, long inChannels, long outChannels, long height, long width,
                                     const float *weight, const float *bias, int relu, long rowBegin, long rowEnd,
                                     float *y) {
#define ROWS(OC) rows(x, inChannels, OC, height, width, weight, bias, relu, rowBegin, rowEnd, y); break
    switch (outChannels) {
    case 1: ROWS(1);
    case 2: ROWS(2);
    case 3: ROWS(3);
    case 4: ROWS(4);
    case 5: ROWS(5);
    case 6: ROWS(6);
    case 7: ROWS(7);
    case 8: ROWS(8);
    default: break;
    }
#undef ROWS
}
