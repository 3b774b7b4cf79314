package io.github.bert4j.tokenizer.processors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.EncodingBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HuggingFace's {@code TemplateProcessing} ({@code processors/template.rs}): a template for single
 * sequences and one for pairs, each a list of pieces — a sequence ({@code $A}/{@code $B}) or a
 * special token — with the type id to give it. Without special tokens only the sequence pieces are
 * kept (still with the template's type ids).
 *
 * <p>{@link #bert(String, int, String, int)} builds the BERT templates {@code [CLS]:0 $A:0 [SEP]:0}
 * and {@code [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1}.
 */
public record TemplateProcessing(
        @JsonProperty("single") List<Piece> single,
        @JsonProperty("pair") List<Piece> pair,
        @JsonProperty("special_tokens") Map<String, SpecialTokenDef> specialTokens) implements PostProcessor {

    /** One template piece: exactly one of the two is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Piece(@JsonProperty("SpecialToken") Ref specialToken, @JsonProperty("Sequence") Ref sequence) {
        @JsonCreator
        public Piece {
            if ((specialToken == null) == (sequence == null)) {
                throw new IllegalArgumentException("a template piece is either {\"SpecialToken\":...} or {\"Sequence\":...}");
            }
        }

        public static Piece special(String token, int typeId) {
            return new Piece(new Ref(token, typeId), null);
        }

        public static Piece sequence(String id, int typeId) {
            return new Piece(null, new Ref(id, typeId));
        }
    }

    /** {@code id} is the special token's name or {@code "A"}/{@code "B"}. */
    public record Ref(@JsonProperty("id") String id, @JsonProperty("type_id") int typeId) {
    }

    /** A special token's ids and token strings (usually one each). */
    public record SpecialTokenDef(@JsonProperty("id") String id, @JsonProperty("ids") int[] ids,
                                  @JsonProperty("tokens") String[] tokens) {
        @JsonCreator
        public SpecialTokenDef {
            if (ids == null || tokens == null || ids.length != tokens.length) {
                throw new IllegalArgumentException("special token '" + id + "' needs 'ids' and 'tokens' of equal length");
            }
        }
    }

    @JsonCreator
    public TemplateProcessing {
        if (single == null || pair == null) {
            throw new IllegalArgumentException("TemplateProcessing needs 'single' and 'pair'");
        }
        specialTokens = specialTokens == null ? Map.of() : specialTokens;
        for (List<Piece> t : List.of(single, pair)) {
            for (Piece p : t) {
                if (p.specialToken() != null && !specialTokens.containsKey(p.specialToken().id())) {
                    throw new IllegalArgumentException("template uses special token '" + p.specialToken().id()
                            + "' missing from special_tokens");
                }
                if (p.sequence() != null && !p.sequence().id().equals("A") && !p.sequence().id().equals("B")) {
                    throw new IllegalArgumentException("template sequence id must be A or B, got '" + p.sequence().id() + "'");
                }
            }
        }
    }

    /** The BERT templates. */
    public static TemplateProcessing bert(String cls, int clsId, String sep, int sepId) {
        Map<String, SpecialTokenDef> specials = new LinkedHashMap<>();
        specials.put(cls, new SpecialTokenDef(cls, new int[] {clsId}, new String[] {cls}));
        specials.put(sep, new SpecialTokenDef(sep, new int[] {sepId}, new String[] {sep}));
        return new TemplateProcessing(
                List.of(Piece.special(cls, 0), Piece.sequence("A", 0), Piece.special(sep, 0)),
                List.of(Piece.special(cls, 0), Piece.sequence("A", 0), Piece.special(sep, 0),
                        Piece.sequence("B", 1), Piece.special(sep, 1)),
                specials);
    }

    @Override
    public Encoding process(Encoding a, Encoding b, boolean addSpecialTokens) {
        List<Piece> template = b == null ? single : pair;
        EncodingBuilder out = new EncodingBuilder(a.length() + (b == null ? 0 : b.length()) + template.size());
        for (Piece p : template) {
            if (p.sequence() != null) {
                Encoding e = p.sequence().id().equals("A") ? a : b;
                if (e != null) {
                    out.addAll(e, p.sequence().typeId());
                }
            } else if (addSpecialTokens) {
                SpecialTokenDef def = specialTokens.get(p.specialToken().id());
                for (int i = 0; i < def.ids().length; i++) {
                    out.addSpecial(def.ids()[i], def.tokens()[i], p.specialToken().typeId());
                }
            }
        }
        return out.build();
    }

    @Override
    public int addedTokens(boolean pair) {
        int n = 0;
        for (Piece p : pair ? this.pair : single) {
            if (p.specialToken() != null) {
                n += specialTokens.get(p.specialToken().id()).ids().length;
            }
        }
        return n;
    }
}
