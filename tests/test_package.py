"""The distribution installs as xxgk.* without generic top-level names."""
import importlib
import importlib.metadata as md
import sysconfig

import pytest


def test_subpackages_import_under_xxgk():
    for name in ("xxgk.extract", "xxgk.models", "xxgk.rules", "xxgk.corpus", "xxgk.extract.checks"):
        assert importlib.import_module(name).__name__ == name


def _installed_xxgk():
    # The installed copy in site-packages, not a build's xxgk.egg-info lying in the source tree.
    paths = list({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    dists = [d for d in md.distributions(path=paths) if d.metadata["Name"] == "xxgk"]
    if not dists:
        pytest.skip("xxgk is not installed in this environment's site-packages")
    return dists[0]


@pytest.mark.parametrize("generic", ["models", "extract", "rules", "corpus"])
def test_no_generic_top_level_package_installed(generic):
    files = _installed_xxgk().files or []
    tops = {str(f).split("/")[0] for f in files}
    assert generic not in tops
    assert generic + ".py" not in tops


def test_console_script_and_spacy_factory_declared():
    eps = _installed_xxgk().entry_points
    assert any(e.group == "console_scripts" and e.name == "xxgk" for e in eps)
    assert any(e.group == "spacy_factories" and e.name == "xxgk_claims" for e in eps)
