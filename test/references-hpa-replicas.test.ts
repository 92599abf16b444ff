import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-hpa-replicas.ts';
import { hpaReplicasCases } from './references/services.cases.ts';

ruleTester(rule, hpaReplicasCases);
