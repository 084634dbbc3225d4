"""The distribution installs as xxgk.* without generic top-level names."""
import importlib

import pytest


def test_subpackages_import_under_xxgk():
    for name in ("xxgk.extract", "xxgk.models", "xxgk.rules", "xxgk.corpus", "xxgk.extract.checks"):
        assert importlib.import_module(name).__name__ == name


@pytest.mark.parametrize("generic", ["models", "extract", "rules", "corpus"])
def test_no_generic_top_level_package_installed(generic):
    import importlib.metadata as md
    files = md.files("xxgk") or []
    tops = {str(f).split("/")[0] for f in files}
    assert generic not in tops
