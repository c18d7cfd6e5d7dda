"""Kept for scrapyd-deploy, which builds an egg with `setup.py`; metadata is in pyproject.toml."""

from setuptools import setup

setup()
