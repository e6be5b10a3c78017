# C-level declarations of fastcore/_routing.pyx: the attributes and C methods
# of its classes, in the order the .pyx defines them. The logic lives in the
# .pyx, beside its pure-Python mirror fastcore_py/routing.py.

cimport cython


@cython.final
cdef class _Pattern:
    cdef object regex
    cdef list kinds

    cdef list capture(self, str text)


cdef class _Node


@cython.final
cdef class _Edge:
    cdef int kind
    cdef _Pattern pattern
    cdef _Node node

    cdef object key(self)
    cdef list capture(self, str segment)


@cython.final
cdef class _Entry:
    cdef readonly Py_ssize_t index
    cdef readonly object target
    cdef readonly object methods
    cdef readonly tuple names

    cdef bint accepts(self, object method) except -1
    cpdef dict params(self, list values)


@cython.final
cdef class _Tail:
    cdef _Pattern pattern
    cdef _Entry entry


@cython.final
cdef class _Node:
    cdef dict literals
    cdef list edges
    cdef dict edge_keys
    cdef list tails
    cdef list ends
    cdef Py_ssize_t min_index


@cython.final
cdef class _Search:
    cdef object method
    cdef str path
    cdef list segments
    cdef _Entry full
    cdef list full_values
    cdef _Entry partial
    cdef list partial_values
    cdef list collected

    cdef Py_ssize_t best_index(self) noexcept
    cdef int offer(self, _Entry entry, list values) except -1
    cdef int walk(self, _Node node, Py_ssize_t depth, Py_ssize_t offset, list values) except -1


cdef class RouteTable:
    cdef public object redirect_slashes
    cdef _Node _root
    cdef Py_ssize_t _count
    cdef list _static_templates
    cdef dict _static

    cdef tuple _lookup(self, object method, str path)
    cdef _Node _child(self, _Node node, str segment)
    cdef dict _build_static(self)
