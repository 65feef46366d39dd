#ifndef MAMMOSEG_CZLIB_SHIM_H
#define MAMMOSEG_CZLIB_SHIM_H
#include <zlib.h>
#endif
