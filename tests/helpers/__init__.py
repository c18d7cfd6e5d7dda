"""What several test modules share, one module per topic: the bundled mirror's pages and their
hand-checked records (`pages`), servers of a mirror (`serving`), crawl commands (`crawls`), the
session's shared crawls (`shared_runs`), records and runs edited as tests need (`records`), the
stand-in web archive's captures (`captures`), small fakes of a crawler (`crawler_fakes`), WARC
and WACZ files written with warcio (`warcs`), synthetic mirrors (`synth_mirrors`), the fault
scenarios crawled end to end (`faulty_crawls`), crawls run to be interrupted
(`interrupted_runs`), small stores and a client for the stand-in Wayback Machine
(`standin_client`), pages changed the ways real pages change (`page_changes`), spiders
built as a crawl builds them whose callbacks are called one at a time on saved pages
(`spider_fakes`), whole runs of them offline (`offline_runs`), and the Wayback Machine's
answers built by hand (`wayback_answers`)."""
