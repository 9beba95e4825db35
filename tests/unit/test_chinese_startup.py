"""The context model is cached beside the lexicon so that the engine starts in well under two
seconds: the cached model reads exactly as the one built from g2pM's files."""

from pathlib import Path

from app.chinese import context


def test_cached_model_reads_like_the_built_one(tmp_path):
    import g2pM

    built = context.ContextModel(Path(g2pM.__file__).parent)
    built.save(tmp_path / "model")
    cached = context.ContextModel.cached(tmp_path / "model")
    text = "银行行长说这种长颈鹿很长，我们得还钱。"
    positions = [i for i, ch in enumerate(text) if cached.covers(ch)]
    assert positions
    assert built.predict(text, positions) == cached.predict(text, positions)
    assert set(built.options) == set(cached.options)


def test_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("QIAO_CHINESE_CACHE", str(tmp_path))
    name = f"context-v{context.CONTEXT_VERSION}-g2pM-0"
    (tmp_path / f"{name}.npz").write_bytes(b"not a zip")
    monkeypatch.setattr(context.metadata, "version", lambda _: "0")
    model = context._load()
    assert model.covers("行")
    assert context.ContextModel.cached(tmp_path / name).covers("行")
