"""Pull raw records from the live systems into the landing formats of docs/LANDING.md.

Loaders live apart from the transformation (dbt): each module writes files that the
next `dbt build --vars '{landing_dir: DIR}'` reads unchanged.

- `graph`: Microsoft Graph callRecords, getPstnCalls, getDirectRoutingCalls
- `sql`: SfB CDR / QoE and SuperOffice tables through SQLAlchemy
- `syllable`: Syllable sessions and session labels
"""

from session_analytics.extract.common import ExtractError

__all__ = ["ExtractError"]
