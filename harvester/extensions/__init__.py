"""Scrapy extensions of the harvester."""
