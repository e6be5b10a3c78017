# C-level declarations of fastcore/_params.pyx: the attributes and C methods
# of its classes, in the order the .pyx defines them. The logic lives in the
# .pyx, beside its pure-Python mirror fastcore_py/params.py.

cimport cython


@cython.final
cdef class ParamSpec:
    cdef readonly object name
    cdef readonly object key
    cdef readonly int kind
    cdef readonly bint many
    cdef readonly bint whole
    cdef readonly bint required
    cdef readonly object default
    cdef readonly object factory
    cdef readonly object adapter

    cdef object _default_value(self)


@cython.final
cdef class ParamGroup:
    cdef readonly object location
    cdef readonly tuple params
    cdef readonly object validator
    cdef readonly frozenset many_keys
    cdef readonly bint blank_is_missing
    cdef readonly tuple model_fields
    cdef readonly frozenset model_spellings
    cdef readonly frozenset keys
    cdef readonly bint wants_all

    cdef dict _collect(self, object pairs, bint first_wins)
    cdef dict _collect_for_model(self, object pairs, bint first_wins)
    cdef list _resolve(self, dict raw, dict arguments)
    cdef list _resolve_slowly(self, dict raw, dict arguments)
    cdef bint _absent(self, ParamSpec param, object value) except -1


@cython.final
cdef class JsonBody:
    cdef readonly ParamSpec param
    cdef readonly ParamGroup group
    cdef readonly bint strict
    cdef readonly bint from_bytes

    cdef bint _is_json(self, object content_type) except -1
    cdef list _resolve_value(self, object value, dict arguments)
