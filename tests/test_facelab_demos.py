"""The demos runner that `make bench` times runs every demo without error."""

from facelab import demos


def test_run_all_demos():
    demos.run_all()
