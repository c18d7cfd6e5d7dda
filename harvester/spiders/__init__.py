"""Spiders only navigate: which pages to fetch and which page object reads each one."""
