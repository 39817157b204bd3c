"""Writing the network data file into the store (one transaction), and reading it back.

:func:`import_network` upserts by id the records
:func:`bot.importer.network_file.parse_network_files` checked, counts per section what was
created, updated and left unchanged, and with ``prune`` removes what the file's sections no
longer mention. :func:`export_network` writes the same format back, so export → import
round-trips with everything unchanged.

The names callers use are re-exported here; the code lives in :mod:`.importing`,
:mod:`.exporting` and :mod:`.columns` (the record ↔ column mapping both share).
"""

from storage.network.exporting import event_to_file, export_network
from storage.network.importing import (
    SECTION_ORDER,
    ImportSummary,
    ReferenceError_,
    SectionSummary,
    check_references,
    delete_events,
    delete_surveys,
    import_network,
)

__all__ = [
    "SECTION_ORDER",
    "ImportSummary",
    "ReferenceError_",
    "SectionSummary",
    "check_references",
    "delete_events",
    "delete_surveys",
    "event_to_file",
    "export_network",
    "import_network",
]
