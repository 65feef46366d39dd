#ifndef MAMMOSEG_CCHARLS_SHIM_H
#define MAMMOSEG_CCHARLS_SHIM_H
#include <charls/charls.h>
#endif
