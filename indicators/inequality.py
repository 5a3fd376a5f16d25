"""Public entry point for inequality measures: WHO/HEAT summary measures and the PHE SII/RII."""

from indicators.heat import HeatResult, heat_measure, heat_measures, heat_summary
from indicators.phe_sii import PheSiiResult, phe_sii

__all__ = ["HeatResult", "PheSiiResult", "heat_measure", "heat_measures", "heat_summary", "phe_sii"]
