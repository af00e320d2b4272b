"""Type stubs of the Rust extension module (crates/python/src/lib.rs)."""

import os
import pathlib
from typing import Dict, List, Optional, Tuple, Union

__version__: str
RECORD_COLUMNS: List[str]
CHECK_COLUMNS: List[str]
DEFAULT_TIMEOUT: float

class GongkaiError(ValueError):
    """Input that is not a gongkai document, or inputs that cannot be listed."""

def convert_json(
    source: Union[str, "os.PathLike[str]", bytes],
    *,
    name: Optional[str] = None,
    timeout: float = ...,
) -> str: ...
def discover_inputs(
    inputs: List[Union[str, "os.PathLike[str]"]],
) -> List[Tuple[pathlib.Path, str]]: ...
def record_columns(docs: List[str]) -> Dict[str, list]: ...
def check_columns(docs: List[str]) -> Dict[str, list]: ...
def read_dir_json(dir: Union[str, "os.PathLike[str]"]) -> List[str]: ...
