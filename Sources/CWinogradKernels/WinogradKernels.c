// AVX2 + FMA versions of WinogradTransform's input and output transforms (same matrices,
// points 0, +-1/2, +-2, infinity; see WinogradTransform.swift), one nChw8c block per __m256.
#include "CWinogradKernels.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

int mammoseg_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

typedef struct { long n, phaseY, phaseX, tileY, tileX; } Origin;

static inline Origin tile_origin(const MammosegWinogradPlan *p, long tile) {
    Origin o;
    o.tileX = tile % p->tilesAcross;
    long rest = tile / p->tilesAcross;
    o.tileY = rest % p->tilesDown;
    rest /= p->tilesDown;
    long phases = p->dilation * p->dilation;
    long phase = rest % phases;
    o.n = rest / phases;
    o.phaseY = phase / p->dilation;
    o.phaseX = phase % p->dilation;
    return o;
}

// B^T z for the six vectors z[0], z[s], ..., z[5s], in place.
AVX2 static inline void input_column(__m256 *z, long s) {
    const __m256 k425 = _mm256_set1_ps(4.25f), k4 = _mm256_set1_ps(4.0f), k2 = _mm256_set1_ps(2.0f);
    const __m256 half = _mm256_set1_ps(0.5f), quarter = _mm256_set1_ps(0.25f);
    __m256 z0 = z[0], z1 = z[s], z2 = z[2 * s], z3 = z[3 * s], z4 = z[4 * s], z5 = z[5 * s];
    __m256 a = _mm256_fnmadd_ps(k4, z2, z4), b = _mm256_fmsub_ps(half, z3, _mm256_mul_ps(k2, z1));
    __m256 c = _mm256_fnmadd_ps(quarter, z2, z4), e = _mm256_fmsub_ps(k2, z3, _mm256_mul_ps(half, z1));
    z[0] = _mm256_fnmadd_ps(k425, z2, _mm256_add_ps(z0, z4));
    z[s] = _mm256_add_ps(a, b);
    z[2 * s] = _mm256_sub_ps(a, b);
    z[3 * s] = _mm256_add_ps(c, e);
    z[4 * s] = _mm256_sub_ps(c, e);
    z[5 * s] = _mm256_fnmadd_ps(k425, z3, _mm256_add_ps(z1, z5));
}

// A^T z for the six vectors z[0], z[s], ..., z[5s]; the four results go to z[0], z[s], z[2s], z[3s].
AVX2 static inline void output_column(__m256 *z, long s) {
    const __m256 half = _mm256_set1_ps(0.5f), k2 = _mm256_set1_ps(2.0f), quarter = _mm256_set1_ps(0.25f);
    const __m256 k4 = _mm256_set1_ps(4.0f), eighth = _mm256_set1_ps(0.125f), k8 = _mm256_set1_ps(8.0f);
    __m256 z0 = z[0], z1 = z[s], z2 = z[2 * s], z3 = z[3 * s], z4 = z[4 * s], z5 = z[5 * s];
    __m256 sum12 = _mm256_add_ps(z1, z2), diff12 = _mm256_sub_ps(z1, z2);
    __m256 sum34 = _mm256_add_ps(z3, z4), diff34 = _mm256_sub_ps(z3, z4);
    z[0] = _mm256_add_ps(_mm256_add_ps(z0, sum12), sum34);
    z[s] = _mm256_fmadd_ps(half, diff12, _mm256_mul_ps(k2, diff34));
    z[2 * s] = _mm256_fmadd_ps(quarter, sum12, _mm256_mul_ps(k4, sum34));
    z[3 * s] = _mm256_add_ps(_mm256_fmadd_ps(eighth, diff12, _mm256_mul_ps(k8, diff34)), z5);
}

AVX2 void mammoseg_winograd_input_avx2(const MammosegWinogradPlan *p, const float *input, long unitBegin,
                                       long unitEnd, long first, long tiles, float *transformed) {
    const long d = p->dilation, planeStride = p->height * p->width * 8;
    const long elementStride = p->inBlocks * tiles * 8;
    __m256 t[36];
    for (long unit = unitBegin; unit < unitEnd; unit++) {
        long block = unit / tiles, local = unit % tiles;
        Origin o = tile_origin(p, first + local);
        const float *plane = input + (o.n * p->inBlocks + block) * planeStride;
        long y0 = o.phaseY + d * (4 * o.tileY - 1), x0 = o.phaseX + d * (4 * o.tileX - 1);
        int interior = y0 >= 0 && x0 >= 0 && y0 + 5 * d < p->height && x0 + 5 * d < p->width;
        for (long j = 0; j < 6; j++) {
            long y = y0 + d * j;
            for (long k = 0; k < 6; k++) {
                long x = x0 + d * k;
                t[6 * j + k] = (interior || (y >= 0 && y < p->height && x >= 0 && x < p->width))
                    ? _mm256_loadu_ps(plane + (y * p->width + x) * 8) : _mm256_setzero_ps();
            }
        }
        for (long k = 0; k < 6; k++) input_column(t + k, 6);   // columns: B^T d
        for (long r = 0; r < 6; r++) input_column(t + 6 * r, 1);  // rows: (B^T d) B
        float *destination = transformed + (block * tiles + local) * 8;
        for (long xi = 0; xi < 36; xi++) _mm256_storeu_ps(destination + xi * elementStride, t[xi]);
    }
}

AVX2 void mammoseg_winograd_output_avx2(const MammosegWinogradPlan *p, const float *products, long unitBegin,
                                        long unitEnd, long first, long tiles, const float *bias, float *output) {
    const long d = p->dilation, planeStride = p->height * p->width * 8;
    const long elementStride = p->outBlocks * tiles * 8;
    const __m256 zero = _mm256_setzero_ps();
    __m256 t[36];
    for (long unit = unitBegin; unit < unitEnd; unit++) {
        long block = unit / tiles, local = unit % tiles;
        const float *source = products + (block * tiles + local) * 8;
        for (long xi = 0; xi < 36; xi++) t[xi] = _mm256_loadu_ps(source + xi * elementStride);
        for (long k = 0; k < 6; k++) output_column(t + k, 6);   // columns: A^T m (rows 0-3 kept)
        for (long r = 0; r < 4; r++) output_column(t + 6 * r, 1);  // rows: (A^T m) A (columns 0-3 kept)
        const __m256 shift = _mm256_loadu_ps(bias + block * 8);
        Origin o = tile_origin(p, first + local);
        float *plane = output + (o.n * p->outBlocks + block) * planeStride;
        long y0 = o.phaseY + d * 4 * o.tileY, x0 = o.phaseX + d * 4 * o.tileX;
        for (long i = 0; i < 4 && y0 + d * i < p->height; i++) {
            long y = y0 + d * i;
            for (long c = 0; c < 4 && x0 + d * c < p->width; c++) {
                __m256 value = _mm256_max_ps(_mm256_add_ps(t[6 * i + c], shift), zero);
                _mm256_storeu_ps(plane + (y * p->width + x0 + d * c) * 8, value);
            }
        }
    }
}
