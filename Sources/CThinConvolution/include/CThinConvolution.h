// A 3x3, stride 1, padding 1 convolution with few channels (at most 8 out), bias and optional
// ReLU, in AVX2 + FMA over 8 neighbouring pixels, for the thin full-resolution layers of the
// segmenters' tails (tconv2 at width 0.25: 4 -> 2 channels at 256^2). Written by hand because
// oneDNN's blocked kernels pad both channel counts to 8: there tconv2 ran at 8 GMAC/s.
#ifndef MAMMOSEG_CTHINCONVOLUTION_H
#define MAMMOSEG_CTHINCONVOLUTION_H

/// The most output channels the kernel keeps in registers.
#define MAMMOSEG_THIN_MAX_OUT 8

// The caller checks that the CPU runs AVX2 and FMA (DNNLBackend.cpuHasAVX2FMA).

/// Output rows u in [rowBegin, rowEnd) of (image, row) = (u / height, u % height):
/// y[n][o][h][w] = bias[o] + sum_i,ky,kx weight[((o * inChannels + i) * 3 + ky) * 3 + kx]
///                 * x[n][i][h + ky - 1][w + kx - 1]   (zero outside), then max(0, .) when relu.
/// x is [N][inChannels][height][width], y is [N][outChannels][height][width], both row-major.
void mammoseg_thin_conv3x3_avx2(const float *x, long inChannels, long outChannels, long height, long width,
                                const float *weight, const float *bias, int relu, long rowBegin, long rowEnd,
                                float *y);

#endif
