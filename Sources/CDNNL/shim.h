#ifndef MAMMOSEG_CDNNL_SHIM_H
#define MAMMOSEG_CDNNL_SHIM_H
#include <dnnl.h>
// dnnl_status2str: readable status names for error messages.
#include <dnnl_debug.h>
// OpenMP controls oneDNN's thread count; primitives read it when they are created.
int omp_get_max_threads(void);
void omp_set_num_threads(int n);
// Host loops (Winograd's transforms) run on oneDNN's own OpenMP team through libgomp's entry
// point for `#pragma omp parallel`, so they do not compete with its spin-waiting workers.
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
int omp_get_thread_num(void);
int omp_get_num_threads(void);
#endif
