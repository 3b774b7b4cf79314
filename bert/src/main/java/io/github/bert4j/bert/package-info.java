/**
 * BERT in bert4j: the encoder and the models built on it.
 *
 * <p>The room's front door is {@link io.github.bert4j.bert.BertEncoder}: parameters under their
 * HuggingFace names ({@link io.github.bert4j.bert.HfNames}, the single source of those names),
 * initialisation, {@code config.json}/{@code model.safetensors} load and save, and {@link
 * io.github.bert4j.bert.BertEncoder#forward} → {@link io.github.bert4j.bert.EncoderPass} (hidden
 * states, pooled output, and the way back to every parameter's gradient). How a pass is computed
 * is the {@link io.github.bert4j.bert.Engine}'s business: {@code EAGER} ({@code bert.eager}) or
 * {@code GRAPH} ({@code bert.graph}, SameDiff), both behind {@link
 * io.github.bert4j.bert.EncoderEngine} and tested to give the same numbers.
 *
 * <p>Models are thin shells: an encoder plus heads from {@code bert.heads}, each head written once
 * on the {@code EncoderPass}: {@link io.github.bert4j.bert.BertPreTrainingModel} (MLM + NSP),
 * {@link io.github.bert4j.bert.BertForSequenceClassification} (pooled → classifier), and in the
 * {@code ner} module the BERT+CRF tagger (token classification + CRF).
 *
 * <p>Neighbouring rooms: {@code bert.pretraining} (the pretraining run; its data in {@code
 * bert.pretraining.data} and {@code bert.pretraining.shards}), {@code bert.classification}
 * (fine-tuning and evaluating a sequence classifier), {@code bert.onnx} (ONNX export and import),
 * {@code bert.embed} (sentence embeddings).
 */
package io.github.bert4j.bert;
