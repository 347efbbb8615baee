package io.recolens.model;

import java.util.Objects;

/** One recommended item in a served slate. */
public class SlateItem {
    public String itemId;
    public int position;
    public double score;

    public SlateItem() {}

    public SlateItem(String itemId, int position, double score) {
        this.itemId = itemId;
        this.position = position;
        this.score = score;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SlateItem)) return false;
        SlateItem s = (SlateItem) o;
        return position == s.position && Double.compare(score, s.score) == 0 && Objects.equals(itemId, s.itemId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, position);
    }

    @Override
    public String toString() {
        return itemId + "#" + position;
    }
}
