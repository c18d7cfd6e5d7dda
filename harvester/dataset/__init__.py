"""The published dataset beyond the harvested records: the people index, the Frictionless data
package with its JSON Schemas, the checks of a published run, and the SQLite/CSV/Parquet exports.

Everything here reads and writes run folders only, so the crawl knows nothing of it but one call.
"""

from harvester.dataset.package import add_package_files

__all__ = ["add_package_files"]
