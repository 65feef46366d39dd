#ifndef MAMMOSEG_COPENJPEG_SHIM_H
#define MAMMOSEG_COPENJPEG_SHIM_H
#include <openjpeg-2.5/openjpeg.h>
#endif
