#ifndef MAMMOSEG_CPNG_SHIM_H
#define MAMMOSEG_CPNG_SHIM_H
#include <png.h>
#endif
