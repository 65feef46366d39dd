// The activation transforms of MammoSeg's Winograd F(4x4, 3x3) inference convolution in
// AVX2 + FMA, chosen at run time (DNNLBackend's WinogradConvolution calls them when
// mammoseg_cpu_has_avx2_fma() is true and keeps its portable Swift code otherwise).
// Written by hand because Swift's SIMD8<Float> compiles to SSE on the baseline x86-64 target,
// which made the transforms cost as much as the GEMMs save below 128 channels.
#ifndef MAMMOSEG_CWINOGRADKERNELS_H
#define MAMMOSEG_CWINOGRADKERNELS_H

/// The geometry of one convolution (see WinogradConvolution.swift): activations in nChw8c,
/// tiles numbered (batch, row parity, column parity, tile row, tile column), last fastest.
typedef struct {
    long height, width, dilation;
    long inBlocks, outBlocks;
    long tilesDown, tilesAcross;
} MammosegWinogradPlan;

/// Non-zero when this CPU runs AVX2 and FMA (the kernels below need both, and so does
/// CThinConvolution's: DNNLBackend.cpuHasAVX2FMA asks once for both).
int mammoseg_cpu_has_avx2_fma(void);

/// B^T d B of tiles first + u % tiles and channel block u / tiles for u in [unitBegin, unitEnd),
/// from `input` into `transformed` (element xi of tile t, block c at ((xi * inBlocks + c) * tiles + t) * 8).
void mammoseg_winograd_input_avx2(const MammosegWinogradPlan *plan, const float *input, long unitBegin,
                                  long unitEnd, long first, long tiles, float *transformed);

/// A^T m A + bias, then ReLU, of tiles first + u % tiles and output channel block u / tiles for
/// u in [unitBegin, unitEnd), from `products` (laid out as `transformed` with outBlocks) into `output`.
void mammoseg_winograd_output_avx2(const MammosegWinogradPlan *plan, const float *products, long unitBegin,
                                   long unitEnd, long first, long tiles, const float *bias, float *output);

#endif
