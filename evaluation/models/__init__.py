from .evaluation import PASSED_SCREENING, Evaluation, PanelAssignment
from .plan import Criterion, EvaluationPlan
from .scores import (
    ConsensusScore,
    DrawEntry,
    DrawRecord,
    RankingEntry,
    Score,
    ScoreRevision,
    ScreeningResult,
)

__all__ = [
    "PASSED_SCREENING",
    "ConsensusScore",
    "Criterion",
    "DrawEntry",
    "DrawRecord",
    "Evaluation",
    "EvaluationPlan",
    "PanelAssignment",
    "RankingEntry",
    "Score",
    "ScoreRevision",
    "ScreeningResult",
]
