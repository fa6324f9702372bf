package cn.xinqiao.hotline.shift;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

@Entity
@Table(name = "shift_member")
@IdClass(ShiftMember.Key.class)
public class ShiftMember extends PanacheEntityBase {

    public record Key(UUID shiftId, String subject) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "shift_id")
    public UUID shiftId;
    @Id
    public String subject;
    @Column(name = "display_name")
    public String displayName;
    public String role;
}
