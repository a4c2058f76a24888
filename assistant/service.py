"""The Assistant every front end calls (the CLI, the browser app, the evaluation and the tests): the
service functions of services/ joined into one object over one store. No front end holds logic of its own.

- services/library.py: importing reports, uploads and new versions, listing, correcting, removing;
- services/questions.py: retrieval and answers, follow-ups, near answers;
- services/documents.py: comparisons, key figures, work plans, summaries;
- services/years.py: one place across the years (commitments kept, figures by year);
- services/configuration.py: status, LLM settings from the page, answer feedback.
"""

from __future__ import annotations

from assistant.config.settings import Settings
from assistant.errors import UsageError
from assistant.llm.providers import LLMProvider, ProviderError, make_provider
from assistant.services.configuration import ConfigurationServices
from assistant.services.documents import DocumentServices
from assistant.services.library import LibraryRow, LibraryServices, reset_store
from assistant.services.questions import QuestionServices
from assistant.services.years import YearServices
from assistant.store.feedback import FeedbackLog
from assistant.store.report_store import ReportStore

__all__ = ["Assistant", "LibraryRow", "UsageError", "reset_store"]


class Assistant(LibraryServices, QuestionServices, DocumentServices, YearServices, ConfigurationServices):
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = ReportStore(settings)
        self.feedback_log = FeedbackLog(self.store.library.db)
        self.provider: LLMProvider | None = None
        self.provider_error: str | None = None
        try:
            self.provider = make_provider(settings)
        except ProviderError as exc:  # a misconfigured LLM must not stop offline answers
            self.provider_error = exc.reason

    def close(self) -> None:
        if self.vector_worker is not None:
            self.vector_worker.stop()
        self.store.close()
