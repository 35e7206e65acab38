"""ui.heap: the dashboard freezes the long-lived heap when new modules were imported, so the full
collection Streamlit runs after every rerun does not walk the modules' objects again."""
import gc
import sys
import types

from ui import heap


def test_freezes_once_per_set_of_new_modules_and_collections_skip_frozen_objects():
    gc.unfreeze()
    heap._modules_at_freeze = 0
    try:
        assert heap.freeze_new_modules() is True
        frozen = gc.get_freeze_count()
        assert frozen > 1000                      # pytest's, pandas', this test's modules...
        assert heap.freeze_new_modules() is False   # nothing imported since: no second walk
        assert gc.get_freeze_count() == frozen

        sys.modules["_heap_test_module"] = types.ModuleType("_heap_test_module")
        try:
            assert heap.freeze_new_modules() is True
            assert gc.get_freeze_count() > frozen
        finally:
            del sys.modules["_heap_test_module"]

        # an object made after the freeze is still collected: a reference cycle goes away
        class Node:
            pass
        a, b = Node(), Node()
        a.other, b.other = b, a
        ids = {id(a), id(b)}
        del a, b
        gc.collect()
        assert not ids & {id(o) for o in gc.get_objects() if type(o).__name__ == "Node"}
    finally:
        gc.unfreeze()
        heap._modules_at_freeze = 0
