# C-level declarations of fastcore/_deps.pyx: the attributes and C methods
# of its classes, in the order the .pyx defines them. The logic lives in the
# .pyx, beside its pure-Python mirror fastcore_py/deps.py.

cimport cython

from fastcore._params cimport ParamGroup


@cython.final
cdef class Sources:
    cdef readonly object path_params
    cdef readonly object headers
    cdef readonly object query_string
    cdef list _query
    cdef dict _cookies

    cdef list _parsed_query(self)
    cdef dict _parsed_cookies(self)


# Public: the endpoint layer sets function_stack once the run exists.
@cython.final
cdef class Run:
    cdef public object connection
    cdef public Sources sources
    cdef public dict body
    cdef public dict body_errors
    cdef public object response
    cdef public object background
    cdef public object function_stack
    cdef public object request_stack
    cdef public dict cache


@cython.final
cdef class Step:
    cdef readonly object call
    cdef readonly int kind
    cdef readonly object cache_key
    cdef readonly bint use_cache
    cdef readonly bint request_scoped
    cdef readonly ParamGroup path
    cdef readonly ParamGroup query
    cdef readonly ParamGroup header
    cdef readonly ParamGroup cookie
    cdef readonly dict header_error_keys
    cdef readonly tuple inputs
    cdef readonly tuple children

    cdef bint _read(self, Run run, dict arguments, list errors) except -1
    cdef object _awaitable(self, dict arguments, Run run)


@cython.final
cdef class DependencyPlan:
    cdef readonly tuple steps
