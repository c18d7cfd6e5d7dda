"""The project's own Scrapy commands (`COMMANDS_MODULE`): `scrapy crawl` run from the project
folder (or by scrapyd) exits as `harvester crawl` does."""
