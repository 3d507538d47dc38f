"""separ: participatory action research workshops for local social-economy networks.

The public API a researcher needs fits here: open a workshop, read its records, get
any table as a pandas DataFrame.
"""

from separ.errors import SeparError
from separ.model import Attendance, Organisation, Participant, Session, Workshop
from separ.store import Store
from separ.workspace import open_workshop

__version__ = "0.1.0"

__all__ = [
    "Attendance",
    "Organisation",
    "Participant",
    "SeparError",
    "Session",
    "Store",
    "Workshop",
    "__version__",
    "open_workshop",
]
