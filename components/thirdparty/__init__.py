"""Every use of a third-party package's private internals, one module per package.

Each module names the pinned version it was written against; tests/test_thirdparty.py checks that the pinned
version is the installed one and that each internal still behaves as relied on, so an upgrade fails loudly.
"""
