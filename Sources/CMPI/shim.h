#ifndef MAMMOSEG_CMPI_SHIM_H
#define MAMMOSEG_CMPI_SHIM_H
// Open MPI's predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are macros that cast the
// address of a library global, which Swift cannot import; these inline functions hand them over.
#include <mpi.h>
static inline MPI_Comm mammoseg_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype mammoseg_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype mammoseg_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype mammoseg_mpi_int(void) { return MPI_INT; }
static inline MPI_Op mammoseg_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Errhandler mammoseg_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Request mammoseg_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *mammoseg_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline void *mammoseg_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int mammoseg_mpi_success(void) { return MPI_SUCCESS; }
static inline int mammoseg_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int mammoseg_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
#endif
