#ifndef MAMMOSEG_CDNNL_SHIM_H
#define MAMMOSEG_CDNNL_SHIM_H
#include <dnnl.h>
// dnnl_status2str: readable status names for error messages.
#include <dnnl_debug.h>
// OpenMP controls oneDNN's thread count; primitives read it when they are created.
int omp_get_max_threads(void);
void omp_set_num_threads(int n);
#endif
