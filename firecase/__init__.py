"""FireCase — fire accident investigation and handling cases (火灾事故调查处理)."""

__version__ = "0.1.0"
