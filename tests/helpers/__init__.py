"""What several test modules share, one module per topic: the bundled mirror's pages and their
hand-checked records (`pages`), servers of a mirror (`serving`), crawl commands (`crawls`), the
session's shared crawls (`shared_runs`), records and runs edited as tests need (`records`), the
stand-in web archive's captures (`captures`) and small fakes of a crawler (`crawler_fakes`)."""
