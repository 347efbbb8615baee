package io.recolens.model;

import java.util.Objects;

/** A click as the lineage history keeps it: which item, where in the slate, when. */
public class ClickRef {
    public String clickId;
    public String itemId;
    public int position;
    public long clickedAt;

    public ClickRef() {}

    public ClickRef(String clickId, String itemId, int position, long clickedAt) {
        this.clickId = clickId;
        this.itemId = itemId;
        this.position = position;
        this.clickedAt = clickedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClickRef)) return false;
        ClickRef c = (ClickRef) o;
        return position == c.position && clickedAt == c.clickedAt && Objects.equals(clickId, c.clickId) && Objects.equals(itemId, c.itemId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clickId);
    }
}
