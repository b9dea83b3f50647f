package niryat.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.strimzi.crdgenerator.annotations.Maximum;
import io.strimzi.crdgenerator.annotations.Minimum;
import io.strimzi.crdgenerator.annotations.MinimumItems;
import io.strimzi.crdgenerator.annotations.Pattern;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import io.strimzi.crdgenerator.annotations.RequiredInVersions;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered Kubernetes objects into the operators' own model classes, strictly, and prints
 * what does not fit. Input on stdin: a JSON array of {"id", "object"}; output on stdout: a JSON
 * object from each id to its list of problems (empty when the object fits its model).
 *
 * Strict means: an unknown field fails (the models' catch-all "additional properties" setters are
 * removed), a string is never coerced to a number or a boolean nor back, an unknown enum value fails,
 * and for Strimzi's kafka.strimzi.io objects, the crd-generator annotations of the model decide,
 * for the object's apiVersion, which fields exist (PresentInVersions), which are required
 * (RequiredInVersions, JsonProperty.required) and their bounds (Minimum, Maximum, MinimumItems,
 * Pattern), as the CRD generated from the same classes does.
 */
public final class ValidateManifests {
    private static final Map<String, String> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("kafka.strimzi.io/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka");
        MODELS.put("kafka.strimzi.io/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool");
        MODELS.put("kafka.strimzi.io/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic");
        MODELS.put("kafka.strimzi.io/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser");
        MODELS.put("monitoring.coreos.com/ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor");
        MODELS.put("/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap");
        MODELS.put("/Service", "io.fabric8.kubernetes.api.model.Service");
        MODELS.put("apps/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment");
        MODELS.put("batch/Job", "io.fabric8.kubernetes.api.model.batch.v1.Job");
        MODELS.put("policy/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget");
        MODELS.put("networking.k8s.io/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy");
    }

    private final ObjectMapper mapper;

    private ValidateManifests() {
        SimpleModule strict = new SimpleModule("strict");
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                builder.setAnySetter(null); // every model keeps unknown fields in a map; here they fail
                return builder;
            }
        });
        JsonMapper built = JsonMapper.builder()
                .addModule(strict)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            built.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            built.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        this.mapper = built;
    }

    public static void main(String[] args) throws Exception {
        ValidateManifests validator = new ValidateManifests();
        JsonNode input = validator.mapper.readTree(System.in);
        ObjectNode output = validator.mapper.createObjectNode();
        for (JsonNode entry : input) {
            List<String> problems = validator.validate(entry.get("object"));
            output.set(entry.get("id").asText(), validator.mapper.valueToTree(problems));
        }
        System.out.println(validator.mapper.writeValueAsString(output));
    }

    private List<String> validate(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String model = MODELS.get(group + "/" + object.path("kind").asText());
        if (model == null) {
            problems.add("no model for " + apiVersion + " " + object.path("kind").asText());
            return problems;
        }
        Object parsed;
        try {
            parsed = mapper.treeToValue(object, Class.forName(model));
        } catch (Exception e) {
            problems.add(e.getMessage().replaceAll("\\s+", " "));
            return problems;
        }
        if (group.equals("kafka.strimzi.io")) {
            if (!servedVersions(parsed.getClass()).contains(version)) {
                problems.add(apiVersion + " is not a version of " + model + " (" + servedVersions(parsed.getClass()) + ")");
            }
            walk(parsed, object, "", version, problems);
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static List<String> servedVersions(Class<?> type) {
        try {
            return (List<String>) type.getField("VERSIONS").get(null);
        } catch (ReflectiveOperationException e) {
            return List.of();
        }
    }

    /** Walks a parsed Strimzi object beside the JSON it came from, applying the annotations for `version`. */
    private void walk(Object value, JsonNode node, String path, String version, List<String> problems) {
        if (value == null || node == null || node.isNull()) return;
        if (value instanceof List<?> list && node.isArray()) {
            for (int i = 0; i < list.size() && i < node.size(); i++) walk(list.get(i), node.get(i), path + "[" + i + "]", version, problems);
            return;
        }
        if (value instanceof Map<?, ?> map && node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                walk(map.get(name), node.get(name), path + "." + name, version, problems);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.strimzi.api.") || !node.isObject()) return;
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(value.getClass()));
        for (BeanPropertyDefinition property : description.findProperties()) {
            String name = property.getName();
            String at = path + "." + name;
            JsonNode child = node.get(name);
            PresentInVersions present = annotation(property, PresentInVersions.class);
            if (child != null && present != null && !inRange(version, present.value())) {
                problems.add(at + ": not a field of " + version + " (only " + present.value() + ")");
                continue;
            }
            RequiredInVersions requiredIn = annotation(property, RequiredInVersions.class);
            JsonProperty json = annotation(property, JsonProperty.class);
            boolean required = requiredIn != null ? inRange(version, requiredIn.value()) : json != null && json.required();
            if (required && (present == null || inRange(version, present.value())) && (child == null || child.isNull())) {
                problems.add(at + ": required in " + version);
            }
            if (child == null) continue;
            Minimum minimum = annotation(property, Minimum.class);
            Maximum maximum = annotation(property, Maximum.class);
            if (minimum != null && child.isNumber() && child.asDouble() < minimum.value()) problems.add(at + ": below its minimum " + minimum.value());
            if (maximum != null && child.isNumber() && child.asDouble() > maximum.value()) problems.add(at + ": above its maximum " + maximum.value());
            MinimumItems items = annotation(property, MinimumItems.class);
            if (items != null && child.isArray() && child.size() < items.value()) problems.add(at + ": fewer than " + items.value() + " items");
            Pattern pattern = annotation(property, Pattern.class);
            if (pattern != null && child.isTextual() && !java.util.regex.Pattern.compile(pattern.value()).matcher(child.asText()).find()) {
                problems.add(at + ": '" + child.asText() + "' does not match " + pattern.value());
            }
            AnnotatedMember accessor = property.getAccessor();
            if (accessor != null) walk(accessor.getValue(value), child, at, version, problems);
        }
    }

    private static <A extends Annotation> A annotation(BeanPropertyDefinition property, Class<A> type) {
        for (AnnotatedMember member : new AnnotatedMember[] {property.getGetter(), property.getField(), property.getSetter()}) {
            if (member != null && member.getAnnotation(type) != null) return member.getAnnotation(type);
        }
        return null;
    }

    /** Strimzi's version ranges: "v1", "v1beta2+", "v1alpha1-v1beta2". */
    static boolean inRange(String version, String range) {
        String spec = range.trim();
        if (spec.endsWith("+")) return rank(version) >= rank(spec.substring(0, spec.length() - 1));
        int dash = spec.indexOf('-');
        if (dash > 0) return rank(version) >= rank(spec.substring(0, dash)) && rank(version) <= rank(spec.substring(dash + 1));
        for (String single : spec.split(",")) if (rank(single.trim()) == rank(version)) return true;
        return false;
    }

    /** v1alpha1 < v1beta1 < v1beta2 < v1 < v2alpha1 ... */
    private static long rank(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$").matcher(version);
        if (!m.matches()) throw new IllegalArgumentException("not an API version: " + version);
        long stability = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
        long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return Long.parseLong(m.group(1)) * 1_000_000 + stability * 1_000 + minor;
    }
}
