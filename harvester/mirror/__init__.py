"""Saved mirrors of the archive: how pages map to files, and a loopback server for them."""
