package cn.xinqiao.hotline.call;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link cn.xinqiao.platform.pseudonym.Pseudonyms} keyed with the caller-hash secret (phone numbers). A real
 * qualifier, not {@code @Named}: a bean qualified only by {@code @Named} also counts as {@code @Default} and would
 * displace the student pseudonyms everywhere in this service.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface CallerKeys {
}
