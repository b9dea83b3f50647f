import { Topics } from '@niryat/contracts';
import { eventually, readWholeTopic, sellerRegistration, testInfra, type ReadRecord } from '@niryat/testing';
import { Kafka, logLevel } from 'kafkajs';
import { http, PlatformStack } from './platform-stack';

interface Module {
  code: string;
  required: boolean;
  passMark?: number;
}
interface CohortBody {
  id: string;
  enrolled: number;
  waitlist: string[];
  learners: { sellerId: string; status: string; enrolledBy: string }[];
}
interface ErrorBody {
  error: { code: string; fields?: { field: string; code: string }[] };
}

/** Dates a few months ahead, so cohorts have not started whenever the test runs. */
function future(months: number, day = 1): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months, day);
  return d.toISOString().slice(0, 10);
}

describe('training: cohorts, automatic invitations from onboarding, completion and certification (real services, Kafka, Postgres)', () => {
  const stack = new PlatformStack();
  const t = () => stack.urls.training;
  const staff = () => stack.token('reviewer');

  async function trainingRecords(where: (r: ReadRecord) => boolean, count: number): Promise<ReadRecord[]> {
    return eventually(async () => {
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(Topics.training))).filter(where);
      expect(records).toHaveLength(count);
      return records;
    }, { timeoutMs: 30_000 });
  }

  async function onboard(stateCode: string, district: string, programmeId: string): Promise<string> {
    const onboarding = `${stack.urls.onboarding}/v1/sellers`;
    const created = await http<{ id: string }>('POST', onboarding, sellerRegistration({ stateCode, district, programmes: [programmeId] }), stack.token('registrant'));
    expect(created.status).toBe(201);
    await http('POST', `${onboarding}/${created.body.id}/start-review`, {}, stack.token('reviewer'));
    await http('POST', `${onboarding}/${created.body.id}/approve`, {}, stack.token('reviewer'));
    expect((await http('POST', `${onboarding}/${created.body.id}/enrolments`, { programmeId }, stack.token('registrant'))).status).toBe(201);
    return created.body.id;
  }

  async function cohort(id: string, until: (c: CohortBody) => boolean): Promise<CohortBody> {
    return eventually(async () => {
      const answer = await http<CohortBody>('GET', `${t()}/v1/cohorts/${id}`, undefined, staff());
      expect(until(answer.body)).toBe(true);
      return answer.body;
    }, { timeoutMs: 30_000 });
  }

  async function schedule(curriculumId: string, instituteId: string, capacity: number, startsOn = future(2), endsOn = future(4)) {
    const answer = await http<CohortBody>('POST', `${t()}/v1/cohorts`, { curriculumId, instituteId, startsOn, endsOn, capacity }, staff());
    expect(answer.status).toBe(201);
    return answer.body;
  }

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('invites a seller approved and enrolled in onboarding to a cohort near its state, with no call to training', async () => {
    const panipat = await schedule('vriddhi-2026', 'panipat', 40);
    const sellerId = await onboard('06', 'Panipat', 'walmart-vriddhi');
    const seated = await cohort(panipat.id, (c) => c.learners.some((l) => l.sellerId === sellerId));
    expect(seated.learners.find((l) => l.sellerId === sellerId)).toMatchObject({ status: 'enrolled', enrolledBy: 'system' });
    const [enrolled] = await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.learner-enrolled.v1', 1);
    expect(JSON.parse(enrolled.value ?? '{}')).toMatchObject({ sellerId, cohortId: panipat.id, programmeId: 'walmart-vriddhi', stateCode: '06', by: 'system' });
  });

  it('keeps a seller enrolled before any cohort exists waiting, and seats it when one is scheduled; a full cohort waitlists', async () => {
    const first = await onboard('09', 'Agra', 'flipkart-walmart-odop-up');
    const second = await onboard('09', 'Agra', 'flipkart-walmart-odop-up');
    await eventually(async () => {
      const progress = await http<{ awaitingCohortIn: string[] }>('GET', `${t()}/v1/learners/${second}`, undefined, staff());
      expect(progress.body.awaitingCohortIn).toEqual(['flipkart-walmart-odop-up']);
    }, { timeoutMs: 30_000 });

    const agra = await schedule('odop-up-2026', 'agra', 1);
    const full = await cohort(agra.id, (c) => c.learners.length === 2);
    expect(full.enrolled).toBe(1);
    expect(full.waitlist).toHaveLength(1);
    const [waiting] = full.waitlist;
    const seatedFirst = full.learners.find((l) => l.status === 'enrolled')?.sellerId as string;
    expect([first, second].sort()).toEqual([seatedFirst, waiting].sort());
    const [waitlisted] = await trainingRecords((r) => r.key === waiting && r.headers.ce_type === 'niryat.training.learner-waitlisted.v1', 1);
    expect(JSON.parse(waitlisted.value ?? '{}')).toMatchObject({ position: 1, cohortId: agra.id });

    // Bad input is refused with the reason, and changes nothing.
    const tooSmall = await http<ErrorBody>('PATCH', `${t()}/v1/cohorts/${agra.id}`, { capacity: 0 }, staff());
    expect(tooSmall.status).toBe(400);
    const outside = await http<ErrorBody>('POST', `${t()}/v1/cohorts/${agra.id}/sessions`, { moduleCode: 'ODOP-DIGI', heldOn: future(8) }, staff());
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields?.map((f) => f.code)).toContain('outsideCohortDates');

    // The enrolled learner leaves: the waitlisted one gets the seat.
    const withdrawn = await http<CohortBody>('POST', `${t()}/v1/cohorts/${agra.id}/learners/${seatedFirst}/withdraw`, { reason: 'Cannot travel to Agra' }, staff());
    expect(withdrawn.status).toBe(200);
    const promoted = await cohort(agra.id, (c) => c.learners.some((l) => l.sellerId === waiting && l.status === 'enrolled'));
    expect(promoted.enrolled).toBe(1);
  });

  it('completes modules by attendance and passing scores, awards exactly one certificate even when completions are replayed, and verifies it publicly', async () => {
    const online = await schedule('vriddhi-2026', 'online', 100, future(2), future(5));
    const sellerId = await onboard('33', 'Tiruppur', 'walmart-vriddhi'); // far from Panipat and Agra: the online cohort
    await cohort(online.id, (c) => c.learners.some((l) => l.sellerId === sellerId && l.status === 'enrolled'));
    const curricula = await http<{ items: { id: string; modules: Module[] }[] }>('GET', `${t()}/v1/curricula?programmeId=walmart-vriddhi`, undefined, staff());
    const modules = curricula.body.items.find((c) => c.id === 'vriddhi-2026')?.modules ?? [];
    const required = modules.filter((m) => m.required);
    expect(required.length).toBeGreaterThan(1);

    const stranger = '00000000-0000-4000-8000-000000000001';
    for (const [i, module] of required.entries()) {
      const session = await http<{ id: string }>('POST', `${t()}/v1/cohorts/${online.id}/sessions`, { moduleCode: module.code, heldOn: future(3, 1 + i) }, staff());
      expect(session.status).toBe(201);
      const notALearner = await http<ErrorBody>('POST', `${t()}/v1/cohorts/${online.id}/sessions/${session.body.id}/attendance`, { sellerIds: [sellerId, stranger] }, staff());
      expect(notALearner.status).toBe(400);
      expect(notALearner.body.error.fields).toEqual([expect.objectContaining({ field: 'sellerIds[1]', code: 'notEnrolledInCohort' })]);
      expect((await http('POST', `${t()}/v1/cohorts/${online.id}/sessions/${session.body.id}/attendance`, { sellerIds: [sellerId] }, staff())).status).toBe(200);
      if (module.passMark !== undefined) {
        const failing = await http('POST', `${t()}/v1/cohorts/${online.id}/assessments`, { sellerId, moduleCode: module.code, score: module.passMark - 1 }, staff());
        expect(failing.status).toBe(200);
        await http('POST', `${t()}/v1/cohorts/${online.id}/assessments`, { sellerId, moduleCode: module.code, score: module.passMark }, staff());
      }
    }

    const completed = await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.module-completed.v1', required.length);
    expect(completed.map((r) => JSON.parse(r.value ?? '{}').moduleCode).sort()).toEqual(required.map((m) => m.code).sort());
    const [awarded] = await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.certification-awarded.v1', 1);
    const number = JSON.parse(awarded.value ?? '{}').certificateNumber as string;

    // Replay every completion: the same records again, and re-emitted copies with new event ids.
    const producer = new Kafka({ clientId: 'e2e-replay', brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: stack.topic(Topics.training),
      messages: completed.flatMap((r) => [
        { key: r.key, value: r.value, headers: r.headers },
        { key: r.key, value: r.value, headers: { ...r.headers, ce_id: `${r.headers.ce_id}-again` } },
      ]),
    });
    await producer.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.certification-awarded.v1', 1);
    const progress = await http<{ certificates: { number: string }[] }>('GET', `${t()}/v1/learners/${sellerId}`, undefined, staff());
    expect(progress.body.certificates.map((c) => c.number)).toEqual([number]);

    const verified = await http<Record<string, unknown>>('GET', `${t()}/v1/certificates/${number}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, number, programmeId: 'walmart-vriddhi' });
    expect(JSON.stringify(verified.body)).not.toContain(sellerId);
    expect((await http('GET', `${t()}/v1/certificates/NIRYAT-VRD-1999-000001`)).status).toBe(404);
  });

  it('withdraws a learner whose seller is suspended in onboarding', async () => {
    const sellerId = await onboard('06', 'Panipat', 'walmart-vriddhi');
    await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.learner-enrolled.v1', 1);
    await http('POST', `${stack.urls.onboarding}/v1/sellers/${sellerId}/suspend`, { reason: 'GSTIN cancelled' }, stack.token('reviewer'));
    const [withdrawn] = await trainingRecords((r) => r.key === sellerId && r.headers.ce_type === 'niryat.training.learner-withdrawn.v1', 1);
    expect(JSON.parse(withdrawn.value ?? '{}').reason).toContain('suspended');
  });
});
