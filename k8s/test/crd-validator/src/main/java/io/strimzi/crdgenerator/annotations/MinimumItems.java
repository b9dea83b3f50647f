package io.strimzi.crdgenerator.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shape of Strimzi's crd-generator annotation of the same name (its crd-generator artifact is not
 * on Maven Central): declaring it lets reflection read what the io.strimzi:api classes carry.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface MinimumItems {
    int value();
}
