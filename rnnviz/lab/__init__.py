"""The text lab: train a character model on real text, sample from it, and find the units that track the text.

    from rnnviz.train import Trainer, Settings
    trainer = Trainer(Settings(task="lab", text=corpus.generate(20_000).text, cell="lstm", hidden=128, steps=500))
    for event in trainer.events(): ...
    trainer.sample("(", length=200, temperature=0.8)
    acts = trainer.activations(text)        # every unit's h_t, c_t and gates, from the engine
"""
