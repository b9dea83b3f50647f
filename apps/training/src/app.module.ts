import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueService } from './catalogue/catalogue.service';
import { CertificatesController } from './certificates/certificates.controller';
import { CertificationConsumer } from './certificates/certification.consumer';
import { CertificationProjection } from './certificates/certification.projection';
import { CohortsController } from './cohorts/cohorts.controller';
import { CohortsService } from './cohorts/cohorts.service';
import { TRAINING_MIGRATIONS } from './database/migrations';
import { OnboardingDirectoryProjection } from './directory/onboarding-directory.projection';
import { OnboardingEventsConsumer } from './directory/onboarding-events.consumer';
import { LearnerPlacementService } from './learners/learner-placement.service';
import { ModuleProgressService } from './progress/module-progress.service';
import { TrainingEnv } from './training.env';

export const SERVICE = 'training';

@Module({})
export class TrainingModule {
  static forRoot(env: TrainingEnv): DynamicModule {
    return {
      module: TrainingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: TRAINING_MIGRATIONS })],
      controllers: [CatalogueController, CohortsController, CertificatesController],
      providers: [
        CatalogueService,
        CohortsService,
        LearnerPlacementService,
        ModuleProgressService,
        OnboardingDirectoryProjection,
        OnboardingEventsConsumer,
        CertificationProjection,
        CertificationConsumer,
      ],
    };
  }
}
